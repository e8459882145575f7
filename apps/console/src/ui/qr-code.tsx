import qrcode from 'qrcode-generator';
import type { ReactNode } from 'react';

/** The quiet zone around the symbol, in modules (ISO/IEC 18004 asks for 4). */
const QUIET = 4;

/** One SVG path of the dark modules: SVG elements, so no data URL or inline style meets the CSP. */
function pathOf(text: string): { size: number; d: string } {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  let d = '';
  for (let row = 0; row < count; row += 1) {
    for (let col = 0; col < count; col += 1) {
      if (qr.isDark(row, col)) d += `M${String(col + QUIET)} ${String(row + QUIET)}h1v1h-1z`;
    }
  }
  return { size: count + 2 * QUIET, d };
}

/**
 * `text` as a QR code to scan with a phone. Always dark on white, in either theme: scanners
 * read inverted codes badly.
 */
export function QrCode(props: { text: string; label: string }): ReactNode {
  const { size, d } = pathOf(props.text);
  return (
    <svg
      className="qr-code"
      role="img"
      aria-label={props.label}
      viewBox={`0 0 ${String(size)} ${String(size)}`}
      width={size * 4}
      height={size * 4}
      shapeRendering="crispEdges"
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
