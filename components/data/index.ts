export { TICKETS_STREAM_VIEW, TicketsTable, TicketsTableArgs } from "./ticketsTable";
