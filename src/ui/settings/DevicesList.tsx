import { t } from '../../i18n';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { LIMITS, type DeviceInfo } from '../../protocol';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { ConfirmButton } from '../ConfirmButton';
import { describeError, shortTime } from '../words';
import { deviceLabel, signedInText } from './device-label';

/**
 * The account's signed-in devices; any of them can be renamed ("Work laptop": two browsers on one
 * system are otherwise both "Chrome on Linux"), and any other one signed out from here, at once.
 */
export function DevicesList() {
  const client = useClient();
  const connection = useUi((s) => s.connection);
  const [devices, setDevices] = useState<DeviceInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);

  const load = useCallback(async () => {
    try {
      setDevices(await client.settings.devices());
      setError(null);
    } catch (err) {
      setError(t('settings.devicesFailed', { reason: describeError(err) }));
    }
  }, [client]);

  useEffect(() => {
    if (connection === 'connected') void load();
  }, [connection, load]);

  async function revoke(d: DeviceInfo) {
    setBusy(true);
    try {
      await client.settings.revokeDevice(d.id);
      await load();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  async function rename(e: FormEvent) {
    e.preventDefault();
    if (!renaming || !renaming.name.trim()) return;
    setBusy(true);
    try {
      await client.settings.renameDevice(renaming.id, renaming.name.trim());
      setRenaming(null);
      await load();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {devices === null && !error && <p className="muted">{connection === 'connected' ? t('settings.loadingDevices') : t('settings.devicesOffline')}</p>}
      {devices && (
        <ul aria-label={t('settings.devices')} className="devices">
          {devices.map((d) => (
            <li key={d.id} className="device">
              {renaming?.id === d.id ? (
                <form className="device-rename" onSubmit={(e) => void rename(e)}>
                  <input
                    aria-label={t('settings.deviceName')}
                    value={renaming.name}
                    maxLength={LIMITS.deviceNameMax}
                    onChange={(e) => setRenaming({ id: d.id, name: e.target.value })}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') {
                        // Closes the field, not the Settings dialog around it.
                        e.preventDefault();
                        e.stopPropagation();
                        setRenaming(null);
                      }
                    }}
                    autoFocus
                    required
                  />
                  <button type="submit" className="small primary" disabled={busy || !renaming.name.trim()}>
                    {t('settings.saveName')}
                  </button>
                  <button type="button" className="small" onClick={() => setRenaming(null)}>
                    {t('settings.cancelRename')}
                  </button>
                </form>
              ) : (
                <span className="device-name">
                  <bdi>{deviceLabel(d.name)}</bdi>
                  {d.current && <span className="marker">{t('settings.thisDevice')}</span>}
                  <span className="muted device-seen">
                    <span>{d.current ? t('settings.activeNow') : t('settings.lastActive', { when: shortTime(d.lastActiveAt) })}</span> · <span>{signedInText(d.createdAt)}</span>
                  </span>
                </span>
              )}
              {renaming?.id !== d.id && (
                <button type="button" className="small" onClick={() => setRenaming({ id: d.id, name: deviceLabel(d.name) })}>
                  {t('settings.renameDevice')}
                </button>
              )}
              {!d.current && renaming?.id !== d.id && (
                <ConfirmButton
                  label={t('settings.signOutDevice')}
                  question={t('settings.signOutDeviceQuestion', { name: deviceLabel(d.name) })}
                  confirmLabel={t('settings.signOutDeviceYes')}
                  className="small danger"
                  disabled={busy}
                  onConfirm={() => void revoke(d)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
