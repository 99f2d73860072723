-- args: stamp heads --sql --purge
-- exit: 255
FAILED: Can't use --purge with --sql mode
