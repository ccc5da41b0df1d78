import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Demands the hotline does not take on (DOMAIN.md), each with where the citizen should turn. */
export const REFUSAL_KINDS = ['litigation', 'arbitration', 'petition', 'emergency'] as const;
export type RefusalKind = (typeof REFUSAL_KINDS)[number];

export const REFERRALS: Record<RefusalKind, string> = {
  litigation: '该事项已进入诉讼程序，请按人民法院的程序办理，或咨询受理法院。',
  arbitration: '该争议已申请劳动人事争议仲裁，请与受理的仲裁委员会联系，关注仲裁进度。',
  petition: '该事项属于信访事项，请通过信访渠道（来信、来访或网上信访）反映。',
  emergency: '如遇人身安全、火灾或急病等紧急情况，请立即拨打110、119或120。',
};

/** 不予受理 — a demand refused with a referral; recorded so refusals can be reviewed and counted. */
@Entity({ name: 'refusal' })
export class Refusal {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: RefusalKind;

  @Column({ name: 'region_code', type: 'text', nullable: true })
  regionCode: string | null;

  @Column({ type: 'text' })
  content: string;

  @Column({ name: 'caller_phone_hash', type: 'text', nullable: true })
  callerPhoneHash: string | null;

  @Column({ type: 'text' })
  referral: string;

  @Column({ name: 'created_by', type: 'text' })
  createdBy: string;

  @Column({ name: 'created_by_username', type: 'text' })
  createdByUsername: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at: Date;
}
