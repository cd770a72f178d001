/**
 * @module renderer/features/calls/call-icons
 * Call icons in the style of ui/Icons (24×24 grid, 1.8px strokes in `currentColor`,
 * decorative): phone, hang up, video, camera off, microphone, muted, devices, stats,
 * minimise/expand, and the incoming/outgoing/missed arrows of the call history.
 */
import type { ReactNode, SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function Svg({ size = 20, children, ...rest }: IconProps & { children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

const HANDSET = 'M5.2 3.5h3l1.5 4-2 1.3a11 11 0 0 0 7.5 7.5l1.3-2 4 1.5v3a2 2 0 0 1-2.2 2A17 17 0 0 1 3.2 5.7a2 2 0 0 1 2-2.2z';

export const IconPhone = (p: IconProps) => (
  <Svg {...p}>
    <path d={HANDSET} />
  </Svg>
);

export const IconHangUp = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3 14.5v-2.2c0-1 .5-1.8 1.4-2.2A18 18 0 0 1 12 8.5c2.6 0 5.2.5 7.6 1.6.9.4 1.4 1.2 1.4 2.2v2.2l-4.2.8-.8-2.8a11 11 0 0 0-8 0l-.8 2.8L3 14.5z" />
  </Svg>
);

export const IconVideo = (p: IconProps) => (
  <Svg {...p}>
    <rect x="2.5" y="6" width="13" height="12" rx="2.5" />
    <path d="M15.5 10.5l6-3.5v10l-6-3.5" />
  </Svg>
);

export const IconVideoOff = (p: IconProps) => (
  <Svg {...p}>
    <path d="M15.5 13.5l6 3.5V7l-6 3.5" />
    <path d="M9 6h4a2.5 2.5 0 0 1 2.5 2.5V12M15.5 16v-.5M15 17.5a2.5 2.5 0 0 1-2 .5H5a2.5 2.5 0 0 1-2.5-2.5v-7A2.5 2.5 0 0 1 4.5 6" />
    <path d="M3 3l18 18" />
  </Svg>
);

export const IconMic = (p: IconProps) => (
  <Svg {...p}>
    <rect x="9" y="3" width="6" height="11" rx="3" />
    <path d="M5.5 11a6.5 6.5 0 0 0 13 0M12 17.5V21M8.5 21h7" />
  </Svg>
);

export const IconMicOff = (p: IconProps) => (
  <Svg {...p}>
    <path d="M15 9.5V6a3 3 0 0 0-5.8-1M9 9v2a3 3 0 0 0 4.6 2.5" />
    <path d="M18.5 11a6.5 6.5 0 0 1-.7 3M16 16.3A6.5 6.5 0 0 1 5.5 11M12 17.5V21M8.5 21h7" />
    <path d="M3 3l18 18" />
  </Svg>
);

export const IconSliders = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
    <circle cx="15" cy="7" r="2" />
    <circle cx="9" cy="17" r="2" />
  </Svg>
);

export const IconStats = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5 20v-6M10 20V9M15 20v-9M20 20V5" />
  </Svg>
);

export const IconMinimise = (p: IconProps) => (
  <Svg {...p}>
    <path d="M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5" />
  </Svg>
);

export const IconExpand = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
  </Svg>
);

/** Arrow into the handset: a call that came to us. */
export const IconCallIncoming = (p: IconProps) => (
  <Svg {...p}>
    <path d="M21 3l-6 6M15 4v5h5" />
    <path d="M4.2 4.5h2.6l1.3 3.4-1.7 1.1a9.5 9.5 0 0 0 6.5 6.5l1.1-1.7 3.4 1.3v2.6a1.7 1.7 0 0 1-1.9 1.7A14.7 14.7 0 0 1 2.5 6.4a1.7 1.7 0 0 1 1.7-1.9z" />
  </Svg>
);

/** Arrow out of the handset: a call we made. */
export const IconCallOutgoing = (p: IconProps) => (
  <Svg {...p}>
    <path d="M15 9l6-6M16 3h5v5" />
    <path d="M4.2 4.5h2.6l1.3 3.4-1.7 1.1a9.5 9.5 0 0 0 6.5 6.5l1.1-1.7 3.4 1.3v2.6a1.7 1.7 0 0 1-1.9 1.7A14.7 14.7 0 0 1 2.5 6.4a1.7 1.7 0 0 1 1.7-1.9z" />
  </Svg>
);

export const IconCallMissed = (p: IconProps) => (
  <Svg {...p}>
    <path d="M14.5 3l3 3 3-3" />
    <path d="M4.2 4.5h2.6l1.3 3.4-1.7 1.1a9.5 9.5 0 0 0 6.5 6.5l1.1-1.7 3.4 1.3v2.6a1.7 1.7 0 0 1-1.9 1.7A14.7 14.7 0 0 1 2.5 6.4a1.7 1.7 0 0 1 1.7-1.9z" />
  </Svg>
);
