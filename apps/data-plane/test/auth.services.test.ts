import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { authSuite } from './auth.suite';
import { onTenantServer } from './support/on-tenant-server';

jest.setTimeout(120_000);

authSuite('data-plane auth on PostgreSQL', onTenantServer(POSTGRES_URL));
authSuite('data-plane auth on MariaDB', onTenantServer(MYSQL_URL));
