import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../../electron/contract/api';
import { api } from '../../api';

export type TranscriptData = NonNullable<ApiOutput<'transcripts.get'>>;
export type TranscriptCue = TranscriptData['cues'][number];
type Status = ApiOutput<'transcripts.attachStatus'>;

/**
 * A session's transcript for the review: load it, attach one (a picked or dropped file; uploaded in browser mode) with
 * progress and Cancel while it is read and estimated, rename and map speakers. Errors are the service's messages,
 * which name the file and the line.
 */
export function useTranscript(sessionId: number) {
  const [transcript, setTranscript] = useState<TranscriptData | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [attaching, setAttaching] = useState<{ name: string; status: Status | null } | null>(null);
  const poll = useRef<ReturnType<typeof setInterval> | null>(null);

  const reload = useCallback(() => {
    void api.call('transcripts.get', { sessionId }).then(setTranscript, (e: Error) => setError(e.message));
  }, [sessionId]);
  useEffect(() => {
    setTranscript(undefined);
    setError(null);
    reload();
  }, [reload]);
  useEffect(() => () => void (poll.current && clearInterval(poll.current)), []);

  const attach = useCallback(
    async (file: { path: string | null; file: File | null; name: string }, replace: boolean) => {
      setError(null);
      setAttaching({ name: file.name, status: null });
      poll.current = setInterval(() => {
        void api.call('transcripts.attachStatus', { sessionId }).then((status) => setAttaching((a) => (a ? { ...a, status } : a)));
      }, 300);
      try {
        const path = file.path ?? (await api.filesToPaths([file.file!]))[0];
        setTranscript(await api.call('transcripts.attach', { sessionId, path, replace }));
        return true;
      } catch (e) {
        setError((e as Error).message);
        return false;
      } finally {
        if (poll.current) clearInterval(poll.current);
        poll.current = null;
        setAttaching(null);
      }
    },
    [sessionId],
  );
  const cancel = useCallback(() => void api.call('transcripts.cancelAttach', { sessionId }), [sessionId]);
  const edit = useCallback(async (run: () => Promise<TranscriptData>) => {
    try {
      setTranscript(await run());
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  const rename = useCallback(
    (speakerId: number, name: string | null) => edit(() => api.call('transcripts.renameSpeaker', { speakerId, name })),
    [edit],
  );
  const map = useCallback(
    (speakerId: number, participant: number | null) => edit(() => api.call('transcripts.mapSpeaker', { speakerId, participant })),
    [edit],
  );

  return { transcript, error, attaching, attach, cancel, rename, map, reload, clearError: () => setError(null) };
}

export type TranscriptState = ReturnType<typeof useTranscript>;
