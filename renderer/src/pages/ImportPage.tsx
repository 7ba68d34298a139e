import { useEffect, useRef, useState } from 'react';
import type { ApiOutput } from '../../../electron/contract/api';
import { api } from '../api';
import { useApi } from '../components/useApi';
import { formatEta, pct } from '../labels';
import { pairTranscripts, unpairedMessage } from '../components/transcript/pair-files';
import { TRANSCRIPT_ACCEPT } from '../components/transcript/AttachTranscript';

export function ImportPage({ clientId }: { clientId: number | null }) {
  const [client, setClient] = useState<number | null>(clientId);
  const [dragging, setDragging] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [batch, setBatch] = useState<number[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const clients = useApi(() => api.call('clients.list', {}), []);
  const jobs = useApi(() => api.call('jobs.list', {}), []);

  // Poll while anything is queued or running.
  const active = jobs.data?.some((j) => j.status === 'queued' || j.status === 'running') ?? false;
  useEffect(() => {
    const t = setInterval(jobs.reload, active ? 500 : 3000);
    return () => clearInterval(t);
  }, [active, jobs.reload]);

  // A transcript added with its recording (talk.mp4 + talk.vtt) goes with it; a transcript alone is said to need one.
  const enqueue = async (paths: string[], transcripts: Array<string | null> = []) => {
    if (paths.length === 0) return;
    const added = await api.call('jobs.enqueue', { paths, clientId: client, ...(transcripts.some(Boolean) ? { transcripts } : {}) });
    setBatch(added.map((j) => j.id));
    setMessage(null);
    jobs.reload();
  };
  const addFiles = async (files: File[]) => {
    setError(null);
    const { recordings, unpaired } = pairTranscripts(files, (f) => f.name);
    setError(unpairedMessage(unpaired.map((f) => f.name)));
    try {
      const wanted = recordings.flatMap((r) => (r.transcript ? [r.recording, r.transcript] : [r.recording]));
      const paths = await api.filesToPaths(wanted, (name, i, n) => setMessage(`Copying ${name} (${i + 1}/${n})…`));
      const pathOf = new Map(wanted.map((f, i) => [f, paths[i]]));
      await enqueue(
        recordings.map((r) => pathOf.get(r.recording)!),
        recordings.map((r) => (r.transcript ? pathOf.get(r.transcript)! : null)),
      );
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const pick = async () => {
    const native = api.pickFiles();
    if (!native) return fileInput.current?.click();
    const { recordings, unpaired } = pairTranscripts(await native, (p) => p);
    setError(unpairedMessage(unpaired));
    await enqueue(
      recordings.map((r) => r.recording),
      recordings.map((r) => r.transcript),
    );
  };

  return (
    <section>
      <h1>Import recordings</h1>
      <div className="row">
        <label>
          Client:{' '}
          <select
            aria-label="Client for imported recordings"
            value={client ?? ''}
            onChange={(e) => setClient(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">(none — assign later)</option>
            {clients.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.code}
                {c.displayName ? ` — ${c.displayName}` : ''}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void addFiles([...e.dataTransfer.files]);
        }}
      >
        <p>
          Drop video or audio recordings here (several at once; a transcript with the same name, such as talk.vtt for talk.mp4, goes with its
          recording), or
        </p>
        <button type="button" onClick={() => void pick()}>
          Choose files…
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          accept={`video/*,audio/*,.mkv,.flac,.m4a,${TRANSCRIPT_ACCEPT}`}
          onChange={(e) => {
            void addFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <p className="muted">Recordings stay on this computer. Analysis runs in the background; you can keep working.</p>
      </div>
      <p role="status" data-testid="import-status">
        {message ?? batchStatus(jobs.data ?? [], batch)}
      </p>
      {error && <p className="error">{error}</p>}
      <h2>Queue</h2>
      <table className="list jobs">
        <thead>
          <tr>
            <th>File</th>
            <th>Status</th>
            <th>Progress</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {jobs.data
            ?.slice()
            .reverse()
            .map((j) => (
              <tr key={j.id} data-job-status={j.status}>
                <td>
                  {j.file.split(/[\\/]/).pop()}
                  {j.transcript && <div className="small muted">with the transcript {j.transcript}</div>}
                </td>
                <td>
                  {j.alreadyAnalysed ? (
                    <span title="Same content, frame rate and models as a stored session: not analysed again">already analysed</span>
                  ) : (
                    STATUS_WORDS[j.status]
                  )}
                  {j.note && <div className="small warning-text">{j.note}</div>}
                  {j.error && (
                    <div className="small">
                      <span className="error">{sentence(j.error)}</span>
                      {!j.retryable && (
                        <div className="muted">
                          Analysing this file again would fail the same way: check the file, or import another copy of the recording.
                        </div>
                      )}
                      {j.errorDetail && (
                        <details>
                          <summary>Technical detail</summary>
                          <code>{j.errorDetail}</code>
                        </details>
                      )}
                    </div>
                  )}
                </td>
                <td>
                  {(j.status === 'running' || j.status === 'queued') && (
                    <>
                      <progress value={j.fraction} max={1} aria-label={`Progress of ${j.file}`} /> {pct(j.fraction)} ·{' '}
                      {j.status === 'running' ? formatEta(j.etaS) : 'waiting'}
                    </>
                  )}
                  {j.status === 'done' && j.sessionId && (
                    <a href={`#/session/${j.sessionId}`}>{j.alreadyAnalysed ? `Review session ${j.sessionId}` : 'Review session'}</a>
                  )}
                </td>
                <td>
                  {(j.status === 'running' || j.status === 'queued') && (
                    <button type="button" onClick={() => void api.call('jobs.cancel', { id: j.id }).then(jobs.reload)}>
                      Cancel
                    </button>
                  )}
                  {(j.status === 'cancelled' || (j.status === 'failed' && j.retryable)) && (
                    <button type="button" onClick={() => void api.call('jobs.retry', { id: j.id }).then(jobs.reload)}>
                      Retry
                    </button>
                  )}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

const STATUS_WORDS: Record<ApiOutput<'jobs.list'>[number]['status'], string> = {
  queued: 'waiting',
  running: 'analysing',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** "The file is not a readable…" from the stored problem ("is not a readable…"). */
function sentence(problem: string): string {
  return /^(is|has|was|could|cannot) /.test(problem) ? `The file ${problem}.` : problem;
}

/** Where the files added last stand: while any is waiting or running, and after all have finished. */
function batchStatus(jobs: ApiOutput<'jobs.list'>, ids: number[]): string {
  const mine = jobs.filter((j) => ids.includes(j.id));
  if (mine.length === 0) return '';
  const n = (s: string) => mine.filter((j) => j.status === s).length;
  const files = `${mine.length} file${mine.length > 1 ? 's' : ''}`;
  const active = n('queued') + n('running');
  const parts = [n('done') && `${n('done')} done`, n('failed') && `${n('failed')} failed`, n('cancelled') && `${n('cancelled')} cancelled`]
    .filter(Boolean)
    .join(', ');
  if (active)
    return `Analysing ${files}: ${[parts, n('running') && `${n('running')} running`, n('queued') && `${n('queued')} waiting`].filter(Boolean).join(', ')}.`;
  return `Finished ${files}: ${parts}.`;
}
