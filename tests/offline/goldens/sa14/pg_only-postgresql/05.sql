-- args: upgrade 7a1b2c3d4e02:7a1b2c3d4e03 --sql
-- exit: 1
-- error: AttributeError: module 'sqlalchemy' has no attribute 'Uuid'
BEGIN;

-- Running upgrade 7a1b2c3d4e02 -> 7a1b2c3d4e03

