/** What an affect-media://session/<id>[?variant=playback] request asks for; null for anything else. */
export function parseMediaRequest(rawUrl: string): { sessionId: number; variant: 'original' | 'playback' } | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  const id = url.pathname.replace(/^\//, '');
  if (url.host !== 'session' || !/^\d+$/.test(id) || Number(id) <= 0) return null;
  return { sessionId: Number(id), variant: url.searchParams.get('variant') === 'playback' ? 'playback' : 'original' };
}
