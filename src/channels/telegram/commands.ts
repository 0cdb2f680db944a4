/**
 * The bot's command menu, registered per language with `setMyCommands` so that each user sees it
 * in their Telegram language. https://core.telegram.org/bots/api#setmycommands
 */
import type { Api } from 'grammy';
import { LANGS, type Lang } from '../../domain/index.js';

/** A command and its description (1-256 characters). */
export interface BotCommand {
  command: string;
  description: string;
}

/** The commands the engine understands, described in each language. */
export const TELEGRAM_COMMANDS: Record<Lang, BotCommand[]> = {
  fr: [
    { command: 'start', description: 'Commencer' },
    { command: 'menu', description: 'Menu principal' },
    { command: 'language', description: 'Changer de langue' },
    { command: 'help', description: 'Aide' },
    { command: 'delete', description: 'Effacer mes données' },
  ],
  en: [
    { command: 'start', description: 'Start' },
    { command: 'menu', description: 'Main menu' },
    { command: 'language', description: 'Change language' },
    { command: 'help', description: 'Help' },
    { command: 'delete', description: 'Delete my data' },
  ],
  ar: [
    { command: 'start', description: 'ابدأ' },
    { command: 'menu', description: 'القائمة الرئيسية' },
    { command: 'language', description: 'تغيير اللغة' },
    { command: 'help', description: 'مساعدة' },
    { command: 'delete', description: 'حذف بياناتي' },
  ],
  es: [
    { command: 'start', description: 'Empezar' },
    { command: 'menu', description: 'Menú principal' },
    { command: 'language', description: 'Cambiar de idioma' },
    { command: 'help', description: 'Ayuda' },
    { command: 'delete', description: 'Borrar mis datos' },
  ],
};

/**
 * Registers the commands for users of each language (`language_code`), and in `defaultLang` for
 * everyone else, in private chats only (Dalil does not answer in groups):
 * https://core.telegram.org/bots/api#botcommandscopeallprivatechats. Five Bot API calls.
 */
export async function registerTelegramCommands(api: Api, defaultLang: Lang): Promise<void> {
  const scope = { type: 'all_private_chats' } as const;
  await api.setMyCommands(TELEGRAM_COMMANDS[defaultLang], { scope });
  for (const lang of LANGS) {
    await api.setMyCommands(TELEGRAM_COMMANDS[lang], { scope, language_code: lang });
  }
}
