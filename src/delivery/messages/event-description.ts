export interface Fact {
  label: string;
  value: string;
  /** Set when the value is a point in time: kinds may show it in the reader's zone. */
  time?: string;
}

export interface DescribedFile {
  url: string;
  name: string;
  linkable: boolean;
  /** Shown after the file: its size and checksum, or why it failed. */
  detail?: string;
}

/**
 * The facts and wording of the built-in message for one event, whatever carries it (Slack, email):
 * both kinds say the same things, each in its own markup.
 */
export interface EventDescription {
  type: string;
  known: boolean;
  /** Short, for a header or subject: "Recording ready". */
  title: string;
  /** One plain sentence: "2 recording files are ready for room R (conference C)." */
  headline: string;
  facts: Fact[];
  files: DescribedFile[];
  /** ISO time until which portal links work; null when the event has none (or no portal files). */
  expiresAt: string | null;
  notes: string[];
}
