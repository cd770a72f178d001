/**
 * @module renderer/ui/QrCode
 * A QR code (ISO/IEC 18004) as an inline SVG path, built from the module matrix that
 * `qrcode` computes. Drawing the SVG ourselves keeps it crisp at any size, needs no
 * canvas, data URL or innerHTML (fits the strict CSP), and stays dark-on-white in both
 * themes with the 4-module quiet zone the standard requires, so phones can scan it.
 */
import { useMemo } from 'react';
import { create } from 'qrcode';

const QUIET = 4;

function qrPath(text: string): { size: number; d: string } | null {
  try {
    const { modules } = create(text, { errorCorrectionLevel: 'M' });
    const n = modules.size;
    let d = '';
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        // Merge horizontal runs of dark modules into one rectangle.
        if (!modules.data[y * n + x]) continue;
        let run = 1;
        while (x + run < n && modules.data[y * n + x + run]) run++;
        d += `M${x + QUIET} ${y + QUIET}h${run}v1h-${run}z`;
        x += run - 1;
      }
    }
    return { size: n + QUIET * 2, d };
  } catch {
    return null; // too long for a QR code: the caller still shows the text
  }
}

export function QrCode({ value, label, size = 200, testId }: { value: string; label: string; size?: number; testId?: string }) {
  const qr = useMemo(() => qrPath(value), [value]);
  if (!qr) return null;
  return (
    <svg className="qr" width={size} height={size} viewBox={`0 0 ${qr.size} ${qr.size}`} role="img" aria-label={label} data-testid={testId} shapeRendering="crispEdges">
      <rect width={qr.size} height={qr.size} fill="#ffffff" />
      <path d={qr.d} fill="#000000" />
    </svg>
  );
}
