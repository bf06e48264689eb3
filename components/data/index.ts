export { TicketsTable, TicketsTableArgs } from "./ticketsTable";
