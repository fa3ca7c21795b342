import { useLive } from '../../state/live';
import { typingText } from '../presence-words';
import type { NameOf } from '../system-lines';

const NOBODY: readonly string[] = [];

/** Who is typing in this conversation, under the log; polite, so screen readers hear it once. */
export function TypingLine({ conversationId, nameOf }: { conversationId: string; nameOf: NameOf }) {
  const typists = useLive((s) => s.typing[conversationId] ?? NOBODY);
  const text = typingText(typists.map(nameOf));
  return (
    <div className="typing" aria-live="polite">
      {text}
    </div>
  );
}
