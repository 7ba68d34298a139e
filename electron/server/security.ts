/**
 * The Content-Security-Policy for the renderer, shared by the Electron shell and the browser-mode
 * server: only the app's own files; no remote scripts, styles, frames or connections.
 */
export function contentSecurityPolicy(origin = "'self'"): string {
  return [
    `default-src 'none'`,
    `script-src ${origin}`,
    `style-src ${origin} 'unsafe-inline'`,
    `img-src ${origin} data: blob:`,
    `media-src ${origin} affect-media: blob:`,
    `font-src ${origin}`,
    `connect-src ${origin} affect-media:`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'none'`,
    `object-src 'none'`,
  ].join('; ');
}
