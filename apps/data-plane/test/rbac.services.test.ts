import { MYSQL_URL, POSTGRES_URL } from '@hellojohn/testing';
import { rbacSuite } from './rbac.suite';
import { onTenantServer } from './support/on-tenant-server';

jest.setTimeout(120_000);

rbacSuite('tenant roles and permissions on PostgreSQL', onTenantServer(POSTGRES_URL));
rbacSuite('tenant roles and permissions on MariaDB', onTenantServer(MYSQL_URL));
