import { uuidv7 } from '@hotline/contracts';
import { DataSource } from 'typeorm';
import { SupervisedTicket } from '../../src/supervised-tickets/supervised-ticket.entity';

/** A ticket as supervision holds it once assigned (a complaint of 渝中区), with `fields` over it; its id. */
export async function insertSupervisedTicket(dataSource: DataSource, fields: Partial<SupervisedTicket> & Pick<SupervisedTicket, 'departmentId'>): Promise<string> {
  const ticketId = fields.ticketId ?? uuidv7();
  await dataSource.getRepository(SupervisedTicket).insert({
    ticketId,
    number: `12333-20261123-${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`,
    demandType: 'complaint',
    urgency: 'normal',
    regionCode: '500103',
    status: 'handling',
    ...fields,
  });
  return ticketId;
}
