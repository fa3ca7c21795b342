/** Bounds shared by client and server; the server enforces them, the client respects them. */
export const LIMITS = {
  /** Message text, in Unicode code points. */
  textMaxChars: 4000,
  usernameMin: 3,
  usernameMax: 32,
  displayNameMax: 64,
  passwordMin: 8,
  passwordMax: 256,
  deviceNameMax: 100,
  /** Largest page of conversation history one request may ask for. */
  historyPageMax: 200,
  /** Largest page of inbox events one sync request may ask for. */
  syncPageMax: 500,
  /** Largest page of recalls one `recalls` request may ask for. */
  recallsPageMax: 500,
  groupNameMax: 64,
  announcementMax: 2000,
  /** Lines before their join that a group may let new members read. */
  historyOnJoinMax: 1000,
  /** Members of one group. */
  groupMembersMax: 10_000,
  /** User names in one create/add request. */
  usernamesPerRequest: 200,
  /** Users or members in one lookup page. */
  usersPerRequest: 200,
  /** People one message can @mention. */
  mentionsMax: 50,
  /** socket.io frames above this are refused by the transport itself. */
  maxFrameBytes: 64 * 1024,
} as const;

export const PROTOCOL_VERSION = 1;

/** How long a sender may recall their own message, unless the server says otherwise. */
export const DEFAULT_RECALL_WINDOW_S = 120;
