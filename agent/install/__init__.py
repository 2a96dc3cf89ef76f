"""Installing the agent on a CSR's desk: the command to run, start at login (systemd, launchd,
Windows' Run key) and the native messaging host that pairs the browser (docs/install.md)."""
