-- args: stamp heads --sql --purge
-- exit: 255
BEGIN;

FAILED: Can't use --purge with --sql mode
