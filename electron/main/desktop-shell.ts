/**
 * What the app shows outside its windows: the application menu, the tray icon and the unread
 * badge (dock or launcher count, Windows taskbar overlay). Electron wiring only: the content
 * comes from menu.ts, tray.ts and badge.ts.
 */
import { app, Menu, nativeImage, Tray, type BrowserWindow, type NativeImage } from 'electron';
import { join } from 'node:path';
import type { DesktopCommand, DesktopLanguage } from '../../src/desktop/bridge';
import { logger } from '../../server/log';
import { badgeFor } from './badge';
import { menuTemplate } from './menu';
import { trayView } from './tray';
import { desktopWords, type DesktopWords } from './words';

const log = logger('desktop');

export interface ShellOptions {
  platform: NodeJS.Platform;
  /** Folder with the icons made by electron/scripts/make-icons.ts (build/). */
  iconDir: string;
  dev: boolean;
  show: () => void;
  send: (command: DesktopCommand) => void;
  quit: () => void;
  windows: () => BrowserWindow[];
}

export class DesktopShell {
  private tray: Tray | null = null;
  private readonly images = new Map<string, NativeImage>();
  private total = 0;
  private words: DesktopWords = desktopWords('en');

  constructor(private readonly options: ShellOptions) {}

  /** Shows the menu, tray and badge in `language` (the system's, until a window says which it shows). */
  start(language: DesktopLanguage): void {
    this.words = desktopWords(language);
    this.setMenu();
    try {
      this.tray = new Tray(this.image(trayView(0, this.options.platform, this.options, this.words).icon));
      // Windows and most Linux trays report a click: it opens the window (the menu is the right click).
      this.tray.on('click', () => this.options.show());
    } catch (err) {
      // Some Linux desktops have no tray at all; the app works without one.
      log.info({ err }, 'no tray');
      this.tray = null;
    }
    this.setUnread(0);
  }

  /** The renderer shows another language: the menu, tray and badge follow. */
  setLanguage(language: DesktopLanguage): void {
    if (language === this.words.language) return;
    this.words = desktopWords(language);
    this.setMenu();
    this.refresh();
  }

  private setMenu(): void {
    const { platform, dev, send } = this.options;
    Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ platform, words: this.words, send, dev })));
  }

  get hasTray(): boolean {
    return this.tray !== null;
  }

  setUnread(total: number): void {
    this.total = total;
    const { platform, windows } = this.options;
    const badge = badgeFor(total, this.words);
    if (platform === 'darwin') app.dock?.setBadge(badge.text);
    else if (platform === 'linux') app.setBadgeCount(badge.count);
    else if (platform === 'win32') {
      const overlay = badge.overlayIcon === null ? null : this.image(badge.overlayIcon);
      for (const w of windows()) w.setOverlayIcon(overlay, badge.overlay ?? '');
    }
    if (!this.tray) return;
    const view = trayView(total, platform, { show: this.options.show, send: this.options.send, quit: this.options.quit }, this.words);
    this.tray.setImage(this.image(view.icon));
    this.tray.setToolTip(view.tooltip);
    if (platform === 'darwin') this.tray.setTitle(view.title);
    this.tray.setContextMenu(Menu.buildFromTemplate(view.menu));
  }

  /** A window created later gets the current overlay too. */
  refresh(): void {
    this.setUnread(this.total);
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
  }

  /** Loaded once; `name@2x.png` beside it is picked up for high-density screens. */
  private image(name: string): NativeImage {
    let img = this.images.get(name);
    if (!img) {
      img = nativeImage.createFromPath(join(this.options.iconDir, name));
      if (img.isEmpty()) log.error({ name }, 'icon missing');
      this.images.set(name, img);
    }
    return img;
  }
}
