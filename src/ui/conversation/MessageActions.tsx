/**
 * A message's `More actions` button and its menu: `Reply`, `Copy`, `Mark as unread`, `Recall` (which asks
 * first, in the menu's place: it cannot be undone and everyone loses the text). The menu is a WAI-ARIA
 * menu button: Enter/Space/ArrowDown open it on its first item, arrows move, Escape (or Tab,
 * or a click elsewhere) closes it and focus goes back to the button. Which items show is decided
 * when the menu opens, so the recall window is judged at that moment; the server still has the
 * final word, and its refusal goes to `onError` (the row shows it in words). The menu floats above
 * the page, placed inside the window whichever side the message is on; scrolling or resizing
 * closes it. Right-click and long-press on the message open the same menu where they happened
 * (`openAt` of the ref).
 */
import { t } from '../../i18n';
import { useEffect, useId, useImperativeHandle, useLayoutEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { createPortal } from 'react-dom';
import type { StoredMessage } from '../../store/db';
import { describeError } from '../words';
import { placeMenu, pointRect, type Rect } from './menu-place';

/**
 * Whether `Recall` is offered: one's own sent message inside the window (judged by the
 * server's clock, `now` already corrected), or any message as a group's owner/admin.
 */
export function canRecall(m: StoredMessage, mine: boolean, moderator: boolean, now: number, windowMs: number): boolean {
  if (m.system || m.recalledBy !== null || m.seq === null) return false;
  if (moderator) return true;
  return mine && m.serverTime !== null && now - m.serverTime < windowMs;
}

export interface MessageActionHandlers {
  onReply: (message: StoredMessage) => void;
  onMarkUnread: (seq: number) => Promise<void>;
  onRecall: (seq: number) => Promise<void>;
}

interface Item {
  label: string;
  run: () => Promise<void>;
  /** Asked before it runs, with the answer that runs it. */
  confirm?: { question: string; yes: string };
}

/** Opens the menu at a point of the screen (a right-click, a long-press on the message). */
export interface MessageActionsHandle {
  openAt: (x: number, y: number) => void;
}

export function MessageActions(props: {
  message: StoredMessage;
  mine: boolean;
  /** The current user owns or admins this group. */
  moderator: boolean;
  recallWindowMs: number;
  clockOffsetMs: number;
  handlers: MessageActionHandlers;
  /** What went wrong with the last action, in words (null: clear it). */
  onError: (error: string | null) => void;
  ref?: Ref<MessageActionsHandle>;
}) {
  const { message: m, mine, moderator, handlers, onError } = props;
  const [items, setItems] = useState<Item[] | null>(null);
  const [busy, setBusy] = useState(false);
  /** The item whose question shows in the menu's place. */
  const [asking, setAsking] = useState<Item | null>(null);
  /** What the menu opens next to: its button, or a point. */
  const [anchor, setAnchor] = useState<Rect | 'button'>('button');
  /** Where the open menu is, once measured (it is laid out hidden first). */
  const [at, setAt] = useState<{ left: number; top: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  /** The floating panel: the menu, or a question in its place. */
  const panel = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();
  const open = items !== null;

  function openMenu(from: Rect | 'button' = 'button') {
    const list: Item[] = [];
    const seq = m.seq;
    const copy: Item = { label: t('actions.copy'), run: () => navigator.clipboard.writeText(m.text) };
    if (seq === null && m.text) list.push(copy);
    if (seq !== null) {
      list.push({ label: t('actions.reply'), run: async () => handlers.onReply(m) });
      if (m.text) list.push(copy);
      if (!mine) list.push({ label: t('actions.markUnread'), run: () => handlers.onMarkUnread(seq) });
      if (canRecall(m, mine, moderator, Date.now() + props.clockOffsetMs, props.recallWindowMs)) {
        list.push({
          label: t('actions.recall'),
          run: () => handlers.onRecall(seq),
          confirm: { question: t('actions.recallQuestion'), yes: t('actions.recall') },
        });
      }
    }
    setAnchor(from);
    setAsking(null);
    setAt(null);
    onError(null);
    setItems(list);
  }
  useImperativeHandle(props.ref, () => ({ openAt: (x, y) => openMenu(pointRect(x, y)) }));

  // Placed once it has a size: below or above what opened it, inside the window.
  useLayoutEffect(() => {
    if (!open || !panel.current || !button.current) return;
    const size = panel.current.getBoundingClientRect();
    const viewport = { width: document.documentElement.clientWidth, height: window.innerHeight };
    const from = anchor === 'button' ? button.current.getBoundingClientRect() : anchor;
    setAt(placeMenu(from, size, viewport, mine && anchor === 'button' ? 'end' : 'start'));
  }, [open, items, mine, anchor, asking]);

  // The menu stays where it was put: the message moving away under it (a scroll, a resize) closes it.
  useEffect(() => {
    if (!open) return;
    const onMove = (e: Event) => {
      if (!(e.target instanceof Node && panel.current?.contains(e.target))) setItems(null);
    };
    document.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open]);

  function close(refocus: boolean) {
    setItems(null);
    setAsking(null);
    if (refocus) button.current?.focus();
  }

  // Focus the first item (or the question's answer) once in place: focusing it earlier could
  // scroll the page.
  const placed = at !== null;
  useEffect(() => {
    if (open && placed) panel.current?.querySelector<HTMLElement>('[role="menuitem"], .menu-confirm button')?.focus({ preventScroll: true });
  }, [open, placed, asking]);

  // A click outside the menu and its button closes it.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!panel.current?.contains(t) && !button.current?.contains(t)) close(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  async function choose(item: Item, confirmed = false) {
    if (busy) return;
    if (item.confirm && !confirmed) {
      setAt(null);
      setAsking(item);
      return;
    }
    setBusy(true);
    try {
      await item.run();
      close(false);
    } catch (err) {
      close(true);
      onError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  function onButtonKey(e: KeyboardEvent<HTMLButtonElement>) {
    if (e.key === 'Escape' && open) {
      e.preventDefault();
      close(true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      openMenu();
    }
  }

  function onMenuKey(e: KeyboardEvent<HTMLUListElement>) {
    const entries = [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = entries.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => entries[(to + entries.length) % entries.length]?.focus();
    switch (e.key) {
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        close(true);
        break;
      case 'Tab':
        // The menu lives at the end of the page: leave it for the button, not for whatever follows.
        e.preventDefault();
        close(true);
        break;
      case 'ArrowDown':
        e.preventDefault();
        move(at + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        move(at - 1);
        break;
      case 'Home':
        e.preventDefault();
        move(0);
        break;
      case 'End':
        e.preventDefault();
        move(entries.length - 1);
        break;
    }
  }

  const question = asking?.confirm;
  const popup = items && (
    <div ref={panel} className="menu" style={at ? { left: at.left, top: at.top } : { left: 0, top: 0, visibility: 'hidden' }}>
      {asking && question ? (
        <div
          role="alertdialog"
          aria-label={question.question}
          className="menu-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close(true);
            }
          }}
        >
          <p>{question.question}</p>
          <div className="menu-confirm-actions">
            <button type="button" className="small danger" disabled={busy} onClick={() => void choose(asking, true)}>
              {question.yes}
            </button>
            <button type="button" className="small" onClick={() => close(true)}>
              {t('actions.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <ul ref={menu} id={id} role="menu" aria-label={t('actions.more')} onKeyDown={onMenuKey}>
          {items.length === 0 ? (
            <li role="menuitem" aria-disabled="true" tabIndex={-1} className="menu-empty">
              {t('actions.none')}
            </li>
          ) : (
            items.map((item) => (
              <li key={item.label} role="none">
                <button type="button" role="menuitem" tabIndex={-1} aria-disabled={busy || undefined} onClick={() => void choose(item)}>
                  {item.label}
                </button>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  );

  return (
    <span className="message-actions">
      <button
        ref={button}
        type="button"
        className="quiet more"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => (open ? close(true) : openMenu())}
        onKeyDown={onButtonKey}
      >
        <span aria-hidden="true">⋯</span>
        <span className="visually-hidden">{t('actions.more')}</span>
      </button>
      {/* Above everything, out of the log's scrolling box, so nothing clips it. */}
      {popup && createPortal(popup, document.body)}
    </span>
  );
}
