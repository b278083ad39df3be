import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { Button } from './Button';
import { Banner } from './States';
import './StepForm.css';

/** One step of a {@link StepForm}. */
export interface FormStep {
  /** Short title shown in the progress line, e.g. 家庭住址. */
  title: string;
  /** The step's fields. */
  content: ReactNode;
  /**
   * Checks the step's fields before moving on (下一步 or submit): sets the page's field errors and returns whether
   * all is well. Absent: the step has nothing to check.
   */
  validate?: () => boolean;
}

export interface StepFormProps {
  /** Prefix of the element ids: `<id>-progress`, `<id>-prev`, `<id>-next`, `<id>-submit`, `<id>-banner`, `<id>-step-<n>`. */
  id: string;
  steps: FormStep[];
  /** The current step, 0-based (keep it in the draft: see `useDraft`). */
  step: number;
  /** Moves to another step (after the current one validated when moving forward). */
  onStep: (step: number) => void;
  /** Called on the last step's button once every step validated; the page submits (and keeps the draft on failure). */
  onSubmit: () => void;
  submitLabel: string;
  /** While submitting: the buttons are disabled and this text is shown (e.g. 正在提交…). */
  busy?: string | null;
  /** A message not about one field (a failed submit, a lost network). */
  banner?: string | null;
  /** Something under the banner, e.g. a link to the record a previous submit created. */
  footer?: ReactNode;
}

/**
 * A long form in short steps: a progress line (第2步，共4步 and a bar), the current step's fields, per-step checking
 * with the errors at the fields (and a banner saying so), 上一步 / 下一步, and the submit button on the last step,
 * which checks every step again and opens the first with an error. The fields are the kit's `Field` (inputs) and
 * {@link StepGroup} (a group of choices); this component only runs the steps. Buttons are the kit's `Button`.
 */
export function StepForm({ id, steps, step, onStep, onSubmit, submitLabel, busy, banner, footer }: StepFormProps) {
  const at = Math.min(Math.max(step, 0), steps.length - 1);
  const last = at === steps.length - 1;
  const go = (n: number) => {
    onStep(n);
    void Taro.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
  };
  const next = () => {
    if (steps[at].validate && !steps[at].validate!()) {
      void Taro.showToast({ title: '请检查标红的内容', icon: 'none' });
      return;
    }
    go(at + 1);
  };
  const submit = () => {
    const bad = steps.findIndex((s) => s.validate && !s.validate());
    if (bad >= 0) {
      if (bad !== at) go(bad);
      void Taro.showToast({ title: '请检查标红的内容', icon: 'none' });
      return;
    }
    onSubmit();
  };
  const percent = Math.round(((at + 1) / steps.length) * 100);
  return (
    <View className='step-form' id={id}>
      <View className='step-progress' id={`${id}-progress`}>
        <Text className='step-progress-text'>
          第{at + 1}步，共{steps.length}步 · {steps[at].title}
        </Text>
        <View className='step-bar' role='progressbar' aria-valuemin={1} aria-valuemax={steps.length} aria-valuenow={at + 1}
          aria-label={`第${at + 1}步，共${steps.length}步`}>
          <View className='step-bar-fill' style={{ width: `${percent}%` }} />
        </View>
      </View>
      <View className='step-body' id={`${id}-step-${at + 1}`} key={at}>
        {steps[at].content}
      </View>
      <Banner id={`${id}-banner`} message={banner} />
      {footer}
      {busy && <View className='muted' id={`${id}-busy`}>{busy}</View>}
      <View className='step-actions'>
        {at > 0 && (
          <Button kind='plain' className='step-prev' id={`${id}-prev`} disabled={!!busy} onClick={() => go(at - 1)}>
            上一步
          </Button>
        )}
        {last ? (
          <Button className='step-next' id={`${id}-submit`} loading={!!busy} onClick={submit}>
            {submitLabel}
          </Button>
        ) : (
          <Button className='step-next' id={`${id}-next`} onClick={next}>
            下一步
          </Button>
        )}
      </View>
    </View>
  );
}

/**
 * A labelled group of choices (chips, a checkbox, a picker) with a required mark and its error line `err-<errorKey>`:
 * `role="group"` named by the visible label (the kit's `Field` is for inputs).
 */
export function StepGroup({ id, label, required, error, errorKey, children }: {
  id: string; label: string; required?: boolean; error?: string | null; errorKey: string; children: ReactNode;
}) {
  return (
    <View className='field' id={id} role='group' aria-labelledby={`${id}-label`}>
      <Text className='field-label' id={`${id}-label`}>
        {label}
        {required ? <Text className='required' aria-hidden='true'> *</Text> : null}
        {required ? <Text className='sr-only'>（必填）</Text> : null}
      </Text>
      {children}
      {error && (
        <View className='field-error' id={`err-${errorKey}`} role='alert'>
          {error}
        </View>
      )}
    </View>
  );
}
