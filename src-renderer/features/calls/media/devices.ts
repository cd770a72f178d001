/**
 * @module calls/media/devices
 * Microphones, cameras and speakers: listing them, and opening the microphone and camera
 * with the call's constraints, turning the browser's errors into one plain sentence.
 */

export type Device = { id: string; label: string };

export async function listDevices(): Promise<{ audioInputs: Device[]; videoInputs: Device[]; audioOutputs: Device[] }> {
  let all: MediaDeviceInfo[];
  try {
    all = await navigator.mediaDevices.enumerateDevices();
  } catch {
    throw new Error('The list of microphones and cameras is not available.');
  }
  const pick = (kind: MediaDeviceKind, noun: string): Device[] =>
    all
      .filter((d) => d.kind === kind && d.deviceId !== '')
      .map((d, i) => ({ id: d.deviceId, label: d.label || `${noun} ${i + 1}` }));
  return {
    audioInputs: pick('audioinput', 'Microphone'),
    videoInputs: pick('videoinput', 'Camera'),
    audioOutputs: pick('audiooutput', 'Speaker'),
  };
}

function friendly(e: unknown, what: 'microphone' | 'camera'): Error {
  const name = e instanceof Error || (typeof e === 'object' && e !== null && 'name' in e) ? String((e as { name: unknown }).name) : '';
  const What = what === 'microphone' ? 'Microphone' : 'Camera';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new Error(`${What} access was denied.`);
    case 'NotFoundError':
      return new Error(`No ${what} was found.`);
    case 'NotReadableError':
    case 'AbortError':
      return new Error(`The ${what} is in use by another app or could not be started.`);
    case 'OverconstrainedError':
      return new Error(`The selected ${what} is not available.`);
    default:
      return new Error(`The ${what} could not be started.`);
  }
}

export async function openMicrophone(deviceId?: string): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser cannot use a microphone here.');
  try {
    const s = await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
        channelCount: 1,
        sampleRate: 48000,
      },
    });
    return s.getAudioTracks()[0]!;
  } catch (e) {
    throw friendly(e, 'microphone');
  }
}

export async function openCamera(deviceId?: string): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getUserMedia) throw new Error('This browser cannot use a camera here.');
  try {
    const s = await navigator.mediaDevices.getUserMedia({
      video: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        // the starting send size; the sender asks the camera for the target size later
        width: { ideal: 640 },
        height: { ideal: 360 },
        frameRate: { ideal: 30 },
      },
    });
    return s.getVideoTracks()[0]!;
  } catch (e) {
    throw friendly(e, 'camera');
  }
}
