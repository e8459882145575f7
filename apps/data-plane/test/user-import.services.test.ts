import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { onTenantServer } from './support/on-tenant-server';
import { userImportSuite } from './user-import.suite';

jest.setTimeout(120_000);

userImportSuite('user import and export on PostgreSQL', onTenantServer(POSTGRES_URL));
userImportSuite('user import and export on MariaDB', onTenantServer(MYSQL_URL));
