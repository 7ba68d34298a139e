import type { AnalysisSummary } from '../analysis/result.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

function shares(distribution: Record<string, number>): string {
  return Object.entries(distribution)
    .filter(([, v]) => v > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${pct(v)}`)
    .join(', ');
}

function voiceUncertain(s: AnalysisSummary): string {
  const n = s.voice.windowsUncertain ?? 0;
  if (!n) return '';
  const unlike = s.voice.windowsUnlikeTraining ?? 0;
  return `, ${n} uncertain${unlike ? ` (${unlike} unlike the training audio)` : ''}`;
}

/** The human-readable summary `affect analyze` prints. */
export function formatSummary(s: AnalysisSummary): string {
  const lines = [
    `Session ${s.session.id ?? '(not stored)'} — ${s.session.file} (${s.session.durationS.toFixed(1)} s)`,
    `  Face:  ${s.face.majority ?? '—'}${s.face.reason ? `  (${s.face.reason})` : ''}`,
    `         ${s.face.framesWithFace}/${s.face.framesAnalysed} frames with a face${s.face.framesAbstained ? `, ${s.face.framesAbstained} uncertain` : ''}${s.face.framesWithFace ? ': ' + shares(s.face.distribution) : ''}`,
    `  Voice: ${s.voice.majority ?? '—'}${s.voice.reason ? `  (${s.voice.reason})` : ''}`,
    `         ${s.voice.voicedWindows}/${s.voice.windows} windows with speech${voiceUncertain(s)}${s.voice.voicedWindows ? ': ' + shares(s.voice.distribution) : ''}`,
    `  Fused: ${s.fused.label ?? '—'}${s.fused.confidence !== null ? ` (${pct(s.fused.confidence)})` : ''}`,
    `  Models: ${s.models.map((m) => `${m.id}@${m.version} (${m.sha256.slice(0, 12)})`).join(', ')}`,
    `  Time: ${s.elapsedS.toFixed(1)} s (${(s.elapsedS / Math.max(s.session.durationS, 1e-9)).toFixed(2)}× real time)`,
  ];
  if (s.participants && s.participants.length > 0) {
    const turns = new Map<number, number>();
    for (const t of s.speech ?? []) turns.set(t.participant, (turns.get(t.participant) ?? 0) + 1);
    lines.push(`  Participants: ${s.participants.length} (face, voice and fused above describe the client when one is marked, else participant 1)`);
    for (const p of s.participants) {
      const face = p.face ? `face ${p.face.majority ?? '—'} (${p.face.framesWithFace} frames)` : 'no face';
      const voice = p.voice ? `voice ${p.voice.majority ?? '—'} (${p.voice.speechS.toFixed(1)} s, ${turns.get(p.id) ?? 0} turns)` : 'no voice';
      lines.push(`    ${p.id}${p.name ? ` "${p.name}"` : ''}: ${face} · ${voice} · fused ${p.fused?.label ?? '—'}`);
    }
  } else if (s.participants) lines.push('  Participants: none (no face and no speech found)');
  for (const w of s.warnings) lines.push(`  Warning: ${w}`);
  lines.push(`  ${s.note}`);
  return lines.join('\n');
}
