// The extension APIs the scripts call; typed loosely (no @types/chrome fetched): tsc still
// catches undefined names, wrong argument counts and wrong types everywhere else.
declare const chrome: any;
