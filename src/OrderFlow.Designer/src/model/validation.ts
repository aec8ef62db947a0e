import type { ValidationError } from '../api/types';

/** Server validation errors located on the canvas: per activity (and input), per connection, or for the whole workflow. */
export interface LocatedErrors {
  byActivity: Map<string, { field: string; message: string }[]>;
  byConnection: Map<number, string[]>;
  general: string[];
}

const ACTIVITY_PATH = /^activities\[(\d+)\](?:\.(.+))?$/;
const CONNECTION_PATH = /^connections\[(\d+)\](?:\.(.+))?$/;

/** Maps the server's paths (`activities[3].inputs.condition`) back to nodes; the definition was sent in canvas order. */
export function locateErrors(errors: readonly ValidationError[], nodes: readonly { id: string }[]): LocatedErrors {
  const located: LocatedErrors = { byActivity: new Map(), byConnection: new Map(), general: [] };
  for (const error of errors) {
    const activity = ACTIVITY_PATH.exec(error.path);
    const node = activity ? nodes[Number(activity[1])] : undefined;
    if (activity && node) {
      const list = located.byActivity.get(node.id) ?? [];
      list.push({ field: activity[2] ?? '', message: error.message });
      located.byActivity.set(node.id, list);
      continue;
    }
    const connection = CONNECTION_PATH.exec(error.path);
    if (connection) {
      const index = Number(connection[1]);
      located.byConnection.set(index, [...(located.byConnection.get(index) ?? []), error.message]);
      continue;
    }
    located.general.push(error.message);
  }
  return located;
}

/** Errors of a publish refused with a validation problem (`errors: { path: [messages] }`), in the same shape. */
export function fromProblemErrors(errors: Record<string, string[] | undefined> | undefined): ValidationError[] {
  return Object.entries(errors ?? {}).flatMap(([path, messages]) => (messages ?? []).map((message) => ({ path, message })));
}
