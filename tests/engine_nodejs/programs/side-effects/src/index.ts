import "./trails";
export { auditName } from "./naming";
