import { describe, expect, it } from 'vitest';
import { NotificationCenter, type CreateNativeNotification } from './notifications';

function fakeSystem() {
  const log: string[] = [];
  const live: { title: string; click: () => void; dismiss: () => void; closed: boolean }[] = [];
  const create: CreateNativeNotification = ({ title, body }, events) => {
    const rec = {
      title,
      closed: false,
      click: () => events.onClick(),
      // The system fires `close` both when the person dismisses it and after our own close().
      dismiss: () => events.onClose(),
    };
    live.push(rec);
    return {
      show: () => log.push(`show ${title}: ${body}`),
      close: () => {
        rec.closed = true;
        log.push(`close ${title}`);
        events.onClose();
      },
    };
  };
  return { log, live, create };
}

describe('native notifications', () => {
  it('[DESK-9] a tag shows one notification: the same tag replaces it, close(tag) withdraws it, a click focuses and reports the tag once', () => {
    const sys = fakeSystem();
    const activated: string[] = [];
    const center = new NotificationCenter(sys.create, (tag) => activated.push(tag));

    center.show({ tag: 'c1:4', title: 'Bob', body: 'hi' });
    center.show({ tag: 'c1:4', title: 'Bob (edited)', body: 'hi again' });
    expect(sys.log).toEqual(['show Bob: hi', 'close Bob', 'show Bob (edited): hi again']);
    expect(center.size).toBe(1);

    // A late close event from the replaced one does not drop its successor.
    sys.live[0]?.dismiss();
    expect(center.size).toBe(1);

    sys.live[1]?.click();
    expect(activated).toEqual(['c1:4']);
    expect(center.size).toBe(0);
    // Closing a clicked (gone) notification is a no-op, not a second close.
    center.close('c1:4');
    expect(sys.log.filter((l) => l.startsWith('close'))).toEqual(['close Bob']);

    center.show({ tag: 'c2:1', title: 'Ann', body: 'yo' });
    center.close('c2:1');
    expect(sys.live[2]?.closed).toBe(true);
    expect(center.size).toBe(0);
  });

  it('[DESK-9] the number kept is bounded: past the limit the oldest are closed', () => {
    const sys = fakeSystem();
    const center = new NotificationCenter(sys.create, () => undefined, 3);
    for (let i = 1; i <= 5; i++) center.show({ tag: `t${i}`, title: `n${i}`, body: '' });
    expect(center.size).toBe(3);
    expect(sys.live.filter((n) => n.closed).map((n) => n.title)).toEqual(['n1', 'n2']);
    center.closeAll();
    expect(center.size).toBe(0);
    expect(sys.live.every((n) => n.closed)).toBe(true);
  });
});
