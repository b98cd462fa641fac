/**
 * Prints the result of a write verb (create, apply, label, …): the kubectl message
 * (`pod/web created`) by default, or the object for `-o json|yaml|name`. YAML objects
 * after the first are preceded by `---`, as kubectl's YAML printer does.
 */
import type { KObject } from '../shared/api/types';
import type { CliContext } from './context';
import { objectName, toJson, toYaml } from './printers/output';

export class ObjectPrinter {
  private count = 0;

  constructor(private readonly ctx: CliContext, private readonly output: string) {}

  print(obj: KObject, message: string): void {
    switch (this.output) {
      case 'json':
        this.ctx.out(toJson(obj));
        break;
      case 'yaml':
        this.ctx.out((this.count > 0 ? '---\n' : '') + toYaml(obj));
        break;
      case 'name':
        this.ctx.out(`${objectName(obj)}\n`);
        break;
      default:
        this.ctx.out(`${message}\n`);
    }
    this.count++;
  }
}
