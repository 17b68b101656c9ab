# CPack configuration is added by the packaging work
