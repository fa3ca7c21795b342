/*
 * Tidings app-shell service worker. The shell (index.html and the hashed assets) is cached
 * so a reload opens the app from the local store while the server is down. Navigations go
 * network-first (a new build is picked up at once) and fall back to the cached shell;
 * hashed assets are immutable, so cache-first. API and socket.io traffic is never cached.
 */
const CACHE = 'tidings-shell-v2';
// The manifest's own icons (what index.html links is read from it below).
const PRECACHE = ['./icon.svg', './icons/icon-192.png', './icons/icon-512.png', './icons/maskable-192.png', './icons/maskable-512.png'];

self.addEventListener('install', (event) => {
  // The page that registers us was loaded before we existed: cache its hashed assets now,
  // read from the shell itself, so the very next reload works offline.
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch('./index.html', { cache: 'no-cache' });
      const html = await res.clone().text();
      await cache.put('./index.html', res);
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !/^https?:/.test(u));
      // addAll rejects a list with the same URL twice (index.html links icon.svg too).
      await cache.addAll([...new Set([...PRECACHE, ...assets])]);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/') || url.pathname === '/healthz') return;

  if (req.mode === 'navigate') {
    event.respondWith(
      fetch(req)
        .then((res) => {
          const copy = res.clone();
          void caches.open(CACHE).then((c) => c.put('./index.html', copy));
          return res;
        })
        .catch(() => caches.match('./index.html').then((r) => r || Response.error())),
    );
    return;
  }
  event.respondWith(
    caches.match(req).then(
      (hit) =>
        hit ||
        fetch(req).then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(CACHE).then((c) => c.put(req, copy));
          }
          return res;
        }),
    ),
  );
});

// Notifications the page could only show through this worker (Chrome on Android, installed web
// apps on phones): a click brings the app forward and tells it which one, so it opens that
// conversation; with no window open it opens the app.
self.addEventListener('notificationclick', (event) => {
  const tag = event.notification.tag;
  // The page that showed it (its address keeps its ?profile=), or a new one at that address.
  const url = (event.notification.data && event.notification.data.url) || './';
  event.notification.close();
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const client = windows.find((w) => w.url === url);
      if (!client) {
        await self.clients.openWindow(url);
        return;
      }
      await client.focus();
      client.postMessage({ type: 'tidings:notification-click', tag });
    })(),
  );
});
