import { useEffect, useState } from 'react';

/** Whether the platform has a speech-synthesis voice (offline system voices; none on many Linux set-ups). */
export function useHasVoice(): boolean {
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  const [has, setHas] = useState(() => synth?.getVoices().some((v) => v.localService) ?? false);
  useEffect(() => {
    if (!synth) return;
    const on = () => setHas(synth.getVoices().some((v) => v.localService));
    synth.addEventListener('voiceschanged', on);
    on();
    return () => synth.removeEventListener('voiceschanged', on);
  }, [synth]);
  return has;
}

/**
 * Speaks `text` with a local voice (never a network voice), slowly and softly; nothing when no local voice exists.
 * Cancels whatever was being said.
 */
export function speak(text: string): void {
  const synth = window.speechSynthesis;
  if (!synth) return;
  const local = synth.getVoices().filter((v) => v.localService);
  if (local.length === 0) return;
  const lang = document.documentElement.lang || 'en';
  const u = new SpeechSynthesisUtterance(text);
  u.voice = local.find((v) => v.lang.startsWith(lang)) ?? local[0];
  u.rate = 0.85;
  u.volume = 0.8;
  synth.cancel();
  synth.speak(u);
}

export function stopSpeaking(): void {
  window.speechSynthesis?.cancel();
}
