import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { sessionRevocationsSuite } from './session-revocations.suite';
import { onTenantServer } from './support/on-tenant-server';

jest.setTimeout(120_000);

sessionRevocationsSuite('on PostgreSQL', onTenantServer(POSTGRES_URL));
sessionRevocationsSuite('on MariaDB', onTenantServer(MYSQL_URL));
