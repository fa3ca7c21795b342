/**
 * A device profile inside one browser: `?profile=alice-phone` in the address (what `npm run
 * demo` prints) makes the page a separate device, with its own session, local store and
 * settings, beside other profiles of the same site in the same browser. Without it (the normal
 * case) the browser profile is the device.
 */
const PROFILE = /^[a-z0-9][a-z0-9-]{0,31}$/;

function readProfile(): string | null {
  try {
    const p = new URLSearchParams(globalThis.location?.search ?? '').get('profile');
    return p && PROFILE.test(p) ? p : null;
  } catch {
    return null;
  }
}

export const profile: string | null = readProfile();

/** The localStorage key of `key` for this profile. */
export function profileKey(key: string): string {
  return profile ? `${key}@${profile}` : key;
}
