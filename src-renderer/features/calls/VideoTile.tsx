/**
 * @module renderer/features/calls/VideoTile
 * A `<video>` showing a MediaStream (always muted: the engine plays the friend's audio on
 * the chosen speaker itself, and our own voice must never echo back).
 */
import { useEffect, useRef } from 'react';

type Props = { stream: MediaStream | null; className: string; mirrored?: boolean; label: string; testId?: string };

export function VideoTile({ stream, className, mirrored, label, testId }: Props) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    if (v.srcObject !== stream) v.srcObject = stream;
    if (stream) void v.play().catch(() => {});
  }, [stream]);
  return <video ref={ref} className={`${className}${mirrored ? ' is-mirrored' : ''}`} aria-label={label} data-testid={testId} autoPlay playsInline muted />;
}
