// The live chat's conversation page (/online/<code>?embed=1): its own small Vue app, not the messenger's bundle.
import { createApp } from 'vue';
import ChatApp from './ChatApp.vue';
import { lang } from './strings.ts';

document.documentElement.lang = lang;
createApp(ChatApp).mount('#chat');
