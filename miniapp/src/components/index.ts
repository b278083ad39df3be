/**
 * The component kit: every page builds on these. Sizes and colours come from the theme in app.css (CSS variables
 * in design px; standard text ≥ 16 CSS px, tap targets ≥ 44 px; in 长辈模式 ≥ 20 px and ≥ 60 px).
 */
export { Qr } from './Qr';
export { Loading, Empty, ErrorState, FieldError, Banner } from './States';
export { LoginPanel } from './LoginPanel';
export { Bars } from './Bars';
export { Page, ElderSwitch, type PageProps } from './Page';
export { Button, type ButtonKind, type ButtonProps } from './Button';
export { Tap, type TapProps } from './Tap';
export { Field, type FieldProps, type FieldKeyboard } from './Field';
export { Money } from './Money';
export { DateText } from './DateText';
export { StatusTag, type StatusTone } from './StatusTag';
export { PagedList, type PagedListProps, type PagedListState } from './PagedList';
export { ReviewQueue, type ReviewQueueProps, type ReviewTab, type ReviewAction, type ReviewReason, type ReviewCard } from './ReviewQueue';
export { formatMonth, formatDate, formatDateTime, formatYuan } from './format';
export { StepForm, StepGroup, type FormStep, type StepFormProps } from './StepForm';
export { OrgPicker, type PickedOrg } from './OrgPicker';
export { OrgChips, ORG_CHIPS_PAGE, type OrgChipsProps } from './OrgChips';
export { ScanButton, type ScanButtonProps } from './ScanButton';
