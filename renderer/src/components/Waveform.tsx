import { useEffect, useRef } from 'react';

/** A peak waveform of the recording's audio, decoded locally with Web Audio (audio-only sessions). */
export function Waveform({
  url,
  currentTime,
  duration,
  onSeek,
}: {
  url: string;
  currentTime: number;
  duration: number;
  onSeek: (t: number) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const peaks = useRef<Float32Array | null>(null);

  const draw = () => {
    const c = canvas.current;
    const p = peaks.current;
    if (!c) return;
    const g = c.getContext('2d')!;
    g.clearRect(0, 0, c.width, c.height);
    if (p) {
      g.fillStyle = '#4a6fa5';
      for (let x = 0; x < p.length; x++) {
        const h = Math.max(1, p[x] * c.height);
        g.fillRect(x, (c.height - h) / 2, 1, h);
      }
    }
    g.fillStyle = '#111';
    g.fillRect((currentTime / Math.max(duration, 1e-9)) * c.width, 0, 2, c.height);
  };

  useEffect(() => {
    let live = true;
    (async () => {
      const buf = await (await fetch(url, { credentials: 'same-origin' })).arrayBuffer();
      const ctx = new OfflineAudioContext(1, 1, 8000);
      const audio = await ctx.decodeAudioData(buf);
      const data = audio.getChannelData(0);
      const width = canvas.current?.width ?? 800;
      const out = new Float32Array(width);
      const per = Math.max(1, Math.floor(data.length / width));
      for (let x = 0; x < width; x++) {
        let m = 0;
        for (let i = x * per; i < Math.min(data.length, (x + 1) * per); i++) m = Math.max(m, Math.abs(data[i]));
        out[x] = m;
      }
      if (live) {
        peaks.current = out;
        draw();
      }
    })().catch(() => undefined);
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [url]);
  useEffect(draw);

  return (
    <canvas
      ref={canvas}
      width={1000}
      height={90}
      className="waveform"
      aria-label="Audio waveform"
      onClick={(e) => {
        const r = e.currentTarget.getBoundingClientRect();
        onSeek(((e.clientX - r.left) / r.width) * duration);
      }}
    />
  );
}
