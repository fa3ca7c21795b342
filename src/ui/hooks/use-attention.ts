/** Whether the person can be looking at the app: its window focused and the page visible. */
import { useEffect, useState } from 'react';

export function hasAttention(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export function useAttention(): boolean {
  const [attention, setAttention] = useState(hasAttention);
  useEffect(() => {
    const update = () => setAttention(hasAttention());
    window.addEventListener('focus', update);
    window.addEventListener('blur', update);
    document.addEventListener('visibilitychange', update);
    return () => {
      window.removeEventListener('focus', update);
      window.removeEventListener('blur', update);
      document.removeEventListener('visibilitychange', update);
    };
  }, []);
  return attention;
}
