import helmet from 'helmet';

/**
 * Strict headers: no inline scripts or styles anywhere (style attributes
 * included), no framing, no plugins; HSTS only in production (behind TLS).
 * Images may also come from the map's tile server (`mapTileOrigin`), exactly
 * that origin and nothing else.
 */
export function securityHeaders(options: { production: boolean; mapTileOrigin?: string }) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(options.mapTileOrigin ? [options.mapTileOrigin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(options.production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
  });
}
