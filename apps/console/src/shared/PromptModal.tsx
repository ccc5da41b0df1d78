import { Form, FormInstance, Modal } from 'antd';
import { ReactNode, useEffect } from 'react';
import { useAction } from '../api/hooks';
import { useI18n } from '../i18n/i18n';

export interface PromptModalProps<T> {
  open: boolean;
  title: ReactNode;
  okText?: string;
  initialValues?: Partial<T>;
  /** The form's fields (Form.Item elements). */
  children: ReactNode;
  /** Calls the API; field errors it answers are shown next to the fields. */
  onSubmit: (values: T, form: FormInstance<T>) => Promise<unknown>;
  success?: string;
  onDone: (submitted: boolean) => void;
}

/**
 * A small form in a dialog, for the one-or-two-field actions (return with reason, urge with a
 * note, approve with a comment). Ctrl+Enter submits, Esc cancels.
 */
export function PromptModal<T extends object>({ open, title, okText, initialValues, children, onSubmit, success, onDone }: PromptModalProps<T>) {
  const { t } = useI18n();
  const [form] = Form.useForm<T>();
  const { run, busy } = useAction();
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);
  const submit = async () => {
    let values: T;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const result = await run(() => onSubmit(values, form).then(() => true), { form, success });
    if (result) onDone(true);
  };
  return (
    <Modal
      open={open}
      title={title}
      okText={okText ?? t('common.submit')}
      cancelText={t('common.cancel')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={() => onDone(false)}
      forceRender
    >
      <Form<T>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
        }}
      >
        {children}
      </Form>
    </Modal>
  );
}
