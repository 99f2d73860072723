-- args: upgrade base:heads
-- exit: 255
FAILED: Range revision not allowed
