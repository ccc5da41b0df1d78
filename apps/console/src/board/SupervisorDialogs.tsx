import { Form, Input } from 'antd';
import { api } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { PromptModal } from '../shared/PromptModal';

export type SupervisorDialog =
  | { kind: 'urge' | 'supervise'; ticketId: string; number: string }
  | { kind: 'review'; ticketId: string; number: string; approved: boolean }
  | { kind: 'extension' | 'pause'; requestId: string; number: string; approved: boolean }
  | null;

/** The supervisor's one-field actions: urge/supervise with a note, decisions with a comment. */
export function SupervisorDialogs({ dialog, onDone }: { dialog: SupervisorDialog; onDone: (submitted: boolean) => void }) {
  const { t } = useI18n();
  const required = { required: true, message: t('common.required') };
  const kind = dialog?.kind;
  return (
    <>
      <PromptModal<{ note: string }>
        open={kind === 'urge' || kind === 'supervise'}
        title={`${t(kind === 'supervise' ? 'board.supervise' : 'board.urge')} · ${dialog?.number ?? ''}`}
        success={t(kind === 'supervise' ? 'board.supervised' : 'board.urged')}
        onSubmit={(v) => (dialog && 'ticketId' in dialog ? api.post(`/api/tickets/${dialog.ticketId}/${dialog.kind}`, v) : Promise.resolve())}
        onDone={onDone}
      >
        <Form.Item name="note" label={t('common.comment')} rules={[required, { max: 2000 }]}>
          <Input.TextArea rows={4} />
        </Form.Item>
      </PromptModal>
      <PromptModal<{ comment: string }>
        open={kind === 'review' || kind === 'extension' || kind === 'pause'}
        title={
          dialog && 'approved' in dialog
            ? `${dialog.kind === 'review' ? t(dialog.approved ? 'board.reviewApprove' : 'board.reviewReject') : `${t(dialog.kind === 'pause' ? 'board.pauseKind' : 'board.extensionKind')} · ${t(dialog.approved ? 'common.approve' : 'common.deny')}`} · ${dialog.number}`
            : ''
        }
        okText={dialog && 'approved' in dialog ? t(dialog.approved ? 'common.approve' : 'common.deny') : undefined}
        success={t(kind === 'review' ? 'board.reviewed' : 'board.decided')}
        onSubmit={(v) => {
          if (!dialog || !('approved' in dialog)) return Promise.resolve();
          const body = { approved: dialog.approved, comment: v.comment ?? '' };
          return dialog.kind === 'review'
            ? api.post(`/api/tickets/${dialog.ticketId}/review`, body)
            : api.post(`/api/${dialog.kind}-requests/${dialog.requestId}/decision`, body);
        }}
        onDone={onDone}
      >
        <Form.Item
          name="comment"
          label={t('common.comment')}
          // A refusal must say why; an approval may go without a word.
          rules={dialog && 'approved' in dialog && !dialog.approved ? [required, { max: 1000 }] : [{ max: 1000 }]}
        >
          <Input.TextArea rows={3} />
        </Form.Item>
      </PromptModal>
    </>
  );
}
