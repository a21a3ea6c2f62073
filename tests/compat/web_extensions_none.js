[typeof URL, typeof atob, typeof console, typeof setTimeout, typeof JSON]
