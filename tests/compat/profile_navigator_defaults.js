[navigator.userAgent.includes('Chrome/'), navigator.platform, navigator.language,
 navigator.languages, navigator.webdriver, navigator.cookieEnabled, navigator.vendor,
 navigator.hardwareConcurrency > 0, typeof navigator.userAgentData]
