import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { ReactNode } from 'react';
import { Banner, FieldError } from './States';
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
 * which checks every step again and opens the first with an error. Field markup (labels, required marks, errors)
 * belongs to the page's fields; this component only runs the steps.
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
          <Button className='btn btn-plain step-prev' id={`${id}-prev`} disabled={!!busy || undefined} onClick={() => go(at - 1)}>
            上一步
          </Button>
        )}
        {last ? (
          <Button className='btn btn-primary step-next' id={`${id}-submit`} loading={!!busy || undefined} disabled={!!busy || undefined} onClick={submit}>
            {submitLabel}
          </Button>
        ) : (
          <Button className='btn btn-primary step-next' id={`${id}-next`} onClick={next}>
            下一步
          </Button>
        )}
      </View>
    </View>
  );
}

/** Props of {@link StepField}. */
export interface StepFieldProps {
  /** Element id of the input (the journeys type into `#<id> input`); the error line is `err-<errorKey>`. */
  id: string;
  /** Visible label, e.g. 家庭月收入（元）. */
  label: string;
  value: string;
  onInput: (value: string) => void;
  required?: boolean;
  /** A line under the label, e.g. the expected format. */
  hint?: string;
  error?: string | null;
  /** Key of the error line's id (`err-<errorKey>`); defaults to the id without its page prefix. */
  errorKey: string;
  /** Taro keyboard: text, number (digits), digit (digits and a point), idcard. */
  type?: 'text' | 'number' | 'digit' | 'idcard';
  maxlength?: number;
  placeholder?: string;
  /** A multi-line text area instead of one line. */
  multiline?: boolean;
}

/**
 * A form field of the step forms: a visible label with a required mark (* and 必填 for screen readers), an optional
 * hint, the input (H5: aria-label, aria-required, aria-invalid and aria-describedby pointing at the hint and the
 * error), and the error line. Used until the kit's Field replaces it.
 */
export function StepField({ id, label, value, onInput, required, hint, error, errorKey, type = 'text', maxlength, placeholder, multiline }: StepFieldProps) {
  const errId = `err-${errorKey}`;
  const hintId = `${id}-hint`;
  const described = [hint ? hintId : '', error ? errId : ''].filter(Boolean).join(' ') || undefined;
  const nativeProps = { 'aria-label': label, 'aria-required': required ? 'true' : undefined, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described };
  return (
    <View className='field'>
      <Text className='field-label' id={`${id}-label`}>
        {label}
        {required && <Text className='required' aria-label='必填'> *</Text>}
      </Text>
      {hint && <Text className='field-hint muted' id={hintId}>{hint}</Text>}
      {multiline ? (
        <Textarea id={id} className={`textarea ${error ? 'input-invalid' : ''}`} value={value} maxlength={maxlength} placeholder={placeholder}
          onInput={(e) => onInput(e.detail.value)} {...({ nativeProps } as object)} />
      ) : (
        <Input id={id} className={`input ${error ? 'input-invalid' : ''}`} value={value} type={type} maxlength={maxlength} placeholder={placeholder}
          onInput={(e) => onInput(e.detail.value)} {...({ nativeProps } as object)} />
      )}
      <FieldError id={errId} message={error} />
    </View>
  );
}

/** A labelled group of choices (chips, a checkbox) with a required mark and its error line `err-<errorKey>`. */
export function StepGroup({ id, label, required, error, errorKey, children }: {
  id: string; label: string; required?: boolean; error?: string | null; errorKey: string; children: ReactNode;
}) {
  return (
    <View className='field' id={id} role='group' aria-labelledby={`${id}-label`}>
      <Text className='field-label' id={`${id}-label`}>
        {label}
        {required && <Text className='required' aria-label='必填'> *</Text>}
      </Text>
      {children}
      <FieldError id={`err-${errorKey}`} message={error} />
    </View>
  );
}
