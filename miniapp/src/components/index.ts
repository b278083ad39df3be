export { Qr } from './Qr';
export { Loading, Empty, ErrorState, FieldError, Banner } from './States';
export { LoginPanel } from './LoginPanel';
export { Bars } from './Bars';
export { ScanButton, type ScanButtonProps } from './ScanButton';
