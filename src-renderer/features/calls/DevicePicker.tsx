/**
 * @module renderer/features/calls/DevicePicker
 * The call view's device menu: microphone, camera and speaker, each a labelled select filled
 * from the engine's `listDevices()` when the menu opens. Escape or a click outside closes it
 * and focus returns to its button.
 */
import { useEffect, useRef, useState } from 'react';
import { usePopover } from '../../ui/use-popover';
import { chooseDevice } from './call-actions';
import { useCallStore } from './call-store';
import { IconSliders } from './call-icons';
import type { DeviceChoice, DeviceList, DeviceOption } from './engine';
import { devices as listDevices } from './engine';

const EMPTY: DeviceList = { audioInputs: [], videoInputs: [], audioOutputs: [] };

export function DevicePicker() {
  const { open, setOpen, root, button, onKeyDown } = usePopover();
  const [list, setList] = useState<DeviceList>(EMPTY);
  const [error, setError] = useState<string | null>(null);
  const chosen = useCallStore((s) => s.devices);

  useEffect(() => {
    if (!open) return;
    let live = true;
    listDevices().then(
      (l) => {
        if (!live) return;
        setList(l);
        setError(null);
      },
      () => {
        if (live) setError('The device list is not available.');
      },
    );
    return () => {
      live = false;
    };
  }, [open]);

  return (
    <div
      className="call-devices"
      ref={root}
      onKeyDown={onKeyDown}
    >
      <button
        ref={button}
        type="button"
        className="call-ctl"
        aria-label="Devices"
        title="Microphone, camera and speaker"
        aria-expanded={open}
        aria-haspopup="dialog"
        data-testid="call-devices"
        onClick={() => setOpen((o) => !o)}
      >
        <IconSliders size={22} />
      </button>
      {open && (
        <div className="call-devices-panel" role="group" aria-label="Devices">
          {error && <p className="call-devices-error">{error}</p>}
          <DeviceSelect label="Microphone" options={list.audioInputs} value={chosen.audioInputId} pick={(id) => ({ audioInputId: id })} autoFocus />
          <DeviceSelect label="Camera" options={list.videoInputs} value={chosen.videoInputId} pick={(id) => ({ videoInputId: id })} />
          <DeviceSelect label="Speaker" options={list.audioOutputs} value={chosen.audioOutputId} pick={(id) => ({ audioOutputId: id })} />
        </div>
      )}
    </div>
  );
}

type SelectProps = { label: string; options: DeviceOption[]; value: string | undefined; pick(id: string): DeviceChoice; autoFocus?: boolean };

function DeviceSelect({ label, options, value, pick, autoFocus }: SelectProps) {
  const ref = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (autoFocus) ref.current?.focus();
  }, [autoFocus]);
  const none = options.length === 0;
  return (
    <label className="call-devices-row">
      <span className="call-devices-label">{label}</span>
      <select ref={ref} className="call-devices-select" value={value ?? ''} disabled={none} onChange={(e) => void chooseDevice(pick(e.target.value))}>
        {none ? (
          <option value="">None found</option>
        ) : (
          <>
            <option value="">System default</option>
            {options.map((o, i) => (
              <option key={o.id || i} value={o.id}>
                {o.label || `${label} ${i + 1}`}
              </option>
            ))}
          </>
        )}
      </select>
    </label>
  );
}
