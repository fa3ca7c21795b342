import { t } from '../../i18n';
import { useCallback, useEffect, useState } from 'react';
import type { DeviceInfo } from '../../protocol';
import { useUi } from '../../state/connection';
import { useClient } from '../client-context';
import { ConfirmButton } from '../ConfirmButton';
import { describeError, shortTime } from '../words';

/** The account's signed-in devices; any other one can be signed out from here, at once. */
export function DevicesList() {
  const client = useClient();
  const connection = useUi((s) => s.connection);
  const [devices, setDevices] = useState<DeviceInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

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

  return (
    <>
      {devices === null && !error && <p className="muted">{connection === 'connected' ? t('settings.loadingDevices') : t('settings.devicesOffline')}</p>}
      {devices && (
        <ul aria-label={t('settings.devices')} className="devices">
          {devices.map((d) => (
            <li key={d.id} className="device">
              <span className="device-name">
                <bdi>{d.name}</bdi>
                {d.current && <span className="marker">{t('settings.thisDevice')}</span>}
                <span className="muted device-seen">{d.current ? t('settings.activeNow') : t('settings.lastActive', { when: shortTime(d.lastActiveAt) })}</span>
              </span>
              {!d.current && (
                <ConfirmButton
                  label={t('settings.signOutDevice')}
                  question={t('settings.signOutDeviceQuestion', { name: d.name })}
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
