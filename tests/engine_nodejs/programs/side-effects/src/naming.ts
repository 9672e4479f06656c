// naming.ts and trails.ts import each other; the cycle resolves because each reads the other only lazily.
import { trailCount } from "./trails";

export const auditName = "org-audit";
export function describe(): string {
    return `${trailCount()} trails`;
}
