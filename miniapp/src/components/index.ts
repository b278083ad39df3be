export { Qr } from './Qr';
export { Loading, Empty, ErrorState, FieldError, Banner } from './States';
export { LoginPanel } from './LoginPanel';
export { Bars } from './Bars';
export { StepForm, StepField, StepGroup, type FormStep, type StepFormProps, type StepFieldProps } from './StepForm';
export { OrgPicker, type PickedOrg } from './OrgPicker';
