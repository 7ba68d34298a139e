/** Transcript files by extension (transcript/read-transcript.ts TRANSCRIPT_EXTENSIONS). */
const TRANSCRIPT = /\.(vtt|srt|eaf|txt)$/i;

const baseName = (name: string) => name.split(/[\\/]/).pop()!;
const stem = (name: string) =>
  baseName(name)
    .replace(/\.[^.]*$/, '')
    .toLowerCase();

export interface PairedFiles<T> {
  recordings: Array<{ recording: T; transcript: T | null }>;
  /** Transcripts with no recording of the same name among the files. */
  unpaired: T[];
}

/**
 * Files added together (dropped or picked): the recordings, each with the transcript of the same base name when one is
 * among them (talk.mp4 + talk.vtt), and the transcripts left over.
 */
export function pairTranscripts<T>(files: readonly T[], nameOf: (f: T) => string): PairedFiles<T> {
  const transcripts = files.filter((f) => TRANSCRIPT.test(nameOf(f)));
  const recordings = files.filter((f) => !TRANSCRIPT.test(nameOf(f)));
  const used = new Set<T>();
  const paired = recordings.map((recording) => {
    const transcript = transcripts.find((t) => !used.has(t) && stem(nameOf(t)) === stem(nameOf(recording))) ?? null;
    if (transcript) used.add(transcript);
    return { recording, transcript };
  });
  return { recordings: paired, unpaired: transcripts.filter((t) => !used.has(t)) };
}

/** A line about the transcripts that went with no recording. */
export function unpairedMessage(names: string[]): string | null {
  if (names.length === 0) return null;
  return `${names.map(baseName).join(', ')}: no recording with the same name was added with ${names.length > 1 ? 'them' : 'it'}; a transcript goes with the recording of the same name (talk.mp4 with talk.vtt), or attach it later from the session's review.`;
}
