export { freePort } from '@hellojohn/testing';
